package dev.bp4j.opencl;

import org.junit.platform.engine.discovery.ClassNameFilter;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.regex.Pattern;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectPackage;

/**
 * Runs this module's tests without Maven, for a GPU machine that has a Java runtime but no
 * build tools (benchmarks/gpu-run.sh). Arguments: the summary file to write (also printed), then
 * test classes to leave out (simple names), e.g. GemmTuningTest where the same session has just
 * run {@code bp4j tune} on the device. Exits with status 1 when a test fails or none ran, 2 on
 * bad arguments.
 */
final class StandaloneTestRun {

    private StandaloneTestRun() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("StandaloneTestRun: expected the summary file to write, then test classes to skip");
            System.exit(2);
        }
        Path summaryFile = Path.of(args[0]);
        Set<String> skipped = Set.of(Arrays.copyOfRange(args, 1, args.length));
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectPackage(StandaloneTestRun.class.getPackageName()))
                .filters(ClassNameFilter.excludeClassNamePatterns(skipped.stream()
                        .map(name -> Pattern.quote(StandaloneTestRun.class.getPackageName() + "." + name))
                        .toArray(String[]::new)))
                .build();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        LauncherFactory.create().execute(request, listener);
        TestExecutionSummary summary = listener.getSummary();
        StringWriter text = new StringWriter();
        PrintWriter out = new PrintWriter(text, true);
        summary.printTo(out);
        summary.printFailuresTo(out, 30);
        System.out.print(text);
        Files.writeString(summaryFile, text.toString());
        boolean passed = summary.getTotalFailureCount() == 0 && summary.getTestsSucceededCount() > 0;
        System.exit(passed ? 0 : 1);
    }
}
