package dev.bp4j.benchmarks.quick;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchReportTest {

    static BenchReport sample() {
        return new BenchReport("2 cores", List.of("cpu: test device", "opencl: test GPU"),
                List.of(new GemmResult("cpu", 128, 50.25), new GemmResult("cpu", 256, 80), new GemmResult("opencl", 256, 900)),
                List.of(new TrainingThroughput("cpu", "784,256,256,10", 128, 123456.4)));
    }

    @Test
    void backendsKeepTheOrderTheyWereMeasuredIn() {
        assertEquals(List.of("cpu", "opencl"), sample().backends());
    }

    @Test
    void markdownHasOneRowPerSizeAndADashWhereABackendWasNotMeasured() {
        String markdown = sample().markdown();
        assertTrue(markdown.contains("| n | cpu | opencl |\n|---|---|---|\n| 128 | 50.3 | – |\n| 256 | 80.0 | 900.0 |\n"), markdown);
        assertTrue(markdown.contains("| cpu | 123456 |"), markdown);
        assertTrue(markdown.contains("- opencl: test GPU"), markdown);
    }
}
