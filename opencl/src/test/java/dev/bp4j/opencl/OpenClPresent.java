package dev.bp4j.opencl;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs OpenCL tests where an OpenCL device exists. Without one they are skipped, loudly, except
 * under CI=true, where they run and fail: CI installs PoCL, so a missing device there is a bug.
 */
final class OpenClPresent implements ExecutionCondition {

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        OpenClPlatforms.Survey survey = OpenClPlatforms.survey();
        if (survey.usable()) {
            return ConditionEvaluationResult.enabled("OpenCL devices: " + survey.devices().size());
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            return ConditionEvaluationResult.enabled("CI=true: OpenCL tests must run, and will fail: " + survey.problem());
        }
        String message = "SKIPPING OpenCL tests of " + context.getDisplayName() + ": " + survey.problem();
        System.err.println("*".repeat(100) + "\n" + message + "\n" + "*".repeat(100));
        return ConditionEvaluationResult.disabled(message);
    }
}
