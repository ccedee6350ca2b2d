package dev.hotpath.analyzer.fuzz;

import dev.hotpath.analyzer.model.UnusableInputException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Feeds every input of a sweep to a target on a worker thread under a per-input time bound, and sorts outcomes:
 * a result or an {@link UnusableInputException} (with a one-line message) is fine; any other exception, a timeout,
 * an {@link OutOfMemoryError} or a multi-line error message is a failure. A worker stuck past its bound is
 * abandoned (it is a daemon thread) and a fresh one takes the next input.
 */
public final class MutationSweep {
    /** The code under test: given the bytes of one input, returns anything or throws. */
    @FunctionalInterface
    public interface Target {
        Object apply(byte[] input) throws Exception;
    }

    public enum Outcome { RESULT, UNUSABLE, EXCEPTION, TIMEOUT, OUT_OF_MEMORY, BAD_MESSAGE }

    /** One failing input: its mutation name (enough to rebuild it) and what went wrong. */
    public record Failure(String input, Outcome outcome, String detail) {
        @Override
        public String toString() {
            return outcome + " " + input + ": " + detail;
        }
    }

    /** Counts by outcome and the failures (the first {@code MAX_FAILURES} kept in full). */
    public record Report(Map<Outcome, Integer> counts, List<Failure> failures) {
        public int total() {
            return counts.values().stream().mapToInt(Integer::intValue).sum();
        }

        public int count(Outcome outcome) {
            return counts.getOrDefault(outcome, 0);
        }
    }

    private static final int MAX_FAILURES = 50;

    private final Duration perInput;

    public MutationSweep(Duration perInput) {
        this.perInput = perInput;
    }

    public Report run(List<Mutations.Mutation> inputs, Target target) throws InterruptedException {
        Map<Outcome, Integer> counts = new EnumMap<>(Outcome.class);
        List<Failure> failures = new ArrayList<>();
        ExecutorService worker = newWorker();
        try {
            for (Mutations.Mutation input : inputs) {
                Failure failure = null;
                Outcome outcome;
                Future<Object> future = worker.submit(() -> {
                    try {
                        return target.apply(input.bytes());
                    } catch (OutOfMemoryError e) {
                        // Carried out as a value: the worker's own handling must not hide it behind another error.
                        return e;
                    }
                });
                try {
                    Object result = future.get(perInput.toMillis(), TimeUnit.MILLISECONDS);
                    if (result instanceof OutOfMemoryError oom) {
                        outcome = Outcome.OUT_OF_MEMORY;
                        failure = new Failure(input.name(), outcome, String.valueOf(oom.getMessage()));
                    } else {
                        outcome = Outcome.RESULT;
                    }
                } catch (TimeoutException e) {
                    outcome = Outcome.TIMEOUT;
                    failure = new Failure(input.name(), outcome, "no answer within " + perInput.toMillis() + " ms");
                    future.cancel(true);
                    worker.shutdownNow();
                    worker = newWorker();
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof UnusableInputException u) {
                        String message = u.getMessage();
                        if (message == null || message.isBlank() || message.contains("\n") || message.contains("\r")) {
                            outcome = Outcome.BAD_MESSAGE;
                            failure = new Failure(input.name(), outcome, "UnusableInputException message not one line: " + message);
                        } else {
                            outcome = Outcome.UNUSABLE;
                        }
                    } else {
                        outcome = cause instanceof OutOfMemoryError ? Outcome.OUT_OF_MEMORY : Outcome.EXCEPTION;
                        failure = new Failure(input.name(), outcome, describe(cause));
                    }
                }
                counts.merge(outcome, 1, Integer::sum);
                if (failure != null && failures.size() < MAX_FAILURES) {
                    failures.add(failure);
                }
            }
        } finally {
            worker.shutdownNow();
        }
        return new Report(counts, failures);
    }

    /** The throwable, where it was thrown, and the first frame of ours below that (where the reader let it out). */
    private static String describe(Throwable t) {
        StackTraceElement[] trace = t.getStackTrace();
        String ours = "";
        for (StackTraceElement e : trace) {
            if (e.getClassName().startsWith("dev.hotpath.") && !e.getClassName().startsWith("dev.hotpath.analyzer.fuzz.")) {
                ours = e == trace[0] ? "" : " via " + e;
                break;
            }
        }
        return t + (trace.length > 0 ? " at " + trace[0] : "") + ours;
    }

    private static ExecutorService newWorker() {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "mutation-sweep-worker");
            t.setDaemon(true);
            return t;
        });
    }
}
