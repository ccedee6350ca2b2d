package dev.hotpath.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * What hotpath's commands share: output through the command's writers (so tests capture it and nothing writes to
 * {@code System.out}), and {@code --verbose}, which the top-level command declares and every subcommand inherits.
 * Errors are thrown, never printed here: {@link ErrorPolicy} turns them into one line and an exit code.
 */
public abstract class BaseCommand implements Callable<Integer> {
    @Spec
    protected CommandSpec spec;

    protected PrintWriter out() {
        return spec.commandLine().getOut();
    }

    protected PrintWriter err() {
        return spec.commandLine().getErr();
    }

    protected boolean verbose() {
        return ErrorPolicy.isVerbose(spec.commandLine().getParseResult());
    }
}
