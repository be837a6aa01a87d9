package dev.bp4j.opencl;

import org.junit.platform.engine.discovery.ClassNameFilter;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

import java.io.PrintWriter;
import java.util.Set;
import java.util.regex.Pattern;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectPackage;

/**
 * Runs this module's tests without Maven, for the GPU machine that has a Java runtime but no
 * build tools (opencl/gpu-run.sh). Arguments name test classes to leave out (simple names), e.g.
 * GemmTuningTest where the same session has just run {@code bp4j tune} on the device. Exits with
 * status 1 when a test fails or none ran.
 */
final class StandaloneTestRun {

    private StandaloneTestRun() {
    }

    public static void main(String[] args) {
        Set<String> skipped = Set.of(args);
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectPackage(StandaloneTestRun.class.getPackageName()))
                .filters(ClassNameFilter.excludeClassNamePatterns(skipped.stream()
                        .map(name -> Pattern.quote(StandaloneTestRun.class.getPackageName() + "." + name))
                        .toArray(String[]::new)))
                .build();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        LauncherFactory.create().execute(request, listener);
        TestExecutionSummary summary = listener.getSummary();
        PrintWriter out = new PrintWriter(System.out, true);
        summary.printTo(out);
        summary.printFailuresTo(out, 30);
        boolean passed = summary.getTotalFailureCount() == 0 && summary.getTestsSucceededCount() > 0;
        System.exit(passed ? 0 : 1);
    }
}
