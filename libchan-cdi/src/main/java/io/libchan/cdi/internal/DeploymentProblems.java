package io.libchan.cdi.internal;

import jakarta.enterprise.inject.spi.DeploymentException;
import java.util.Map;
import java.util.TreeMap;

/**
 * Collects every problem found while validating the deployment, keyed by what is wrong (a
 * configuration key, or an injection point or method when no key applies), so that one
 * {@link DeploymentException} names them all. Not thread-safe: used by the single validation pass.
 */
final class DeploymentProblems {
    private final Map<String, String> problems = new TreeMap<>();

    /** Records a problem; the first problem recorded for a subject wins. */
    void add(String subject, String message) {
        problems.putIfAbsent(subject, message);
    }

    boolean isEmpty() {
        return problems.isEmpty();
    }

    /** One exception whose message lists every problem, one per line, subject first. */
    DeploymentException toException() {
        StringBuilder text = new StringBuilder(UserMessages.deploymentFailed(problems.size()));
        problems.forEach((subject, message) -> text.append("\n  ").append(subject).append(": ").append(message));
        return new DeploymentException(text.toString());
    }
}
