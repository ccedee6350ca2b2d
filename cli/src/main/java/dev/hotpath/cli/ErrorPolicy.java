package dev.hotpath.cli;

import dev.hotpath.analyzer.model.UnusableInputException;
import dev.hotpath.analyzer.store.StoreException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

import java.io.PrintWriter;

/**
 * The one place where failures become output and exit codes, for every command:
 * <ul>
 *   <li>usage errors (picocli's, or a {@link ParameterException} thrown by a command, e.g. a bad {@code --set}):
 *       one line naming the command, exit {@link ExitCodes#USAGE};</li>
 *   <li>{@link UnusableInputException} and {@link StoreException}: their message, one line, exit
 *       {@link ExitCodes#UNUSABLE_INPUT};</li>
 *   <li>{@link CommandFailedException}: its message and exit code;</li>
 *   <li>anything else: one line, exit {@link ExitCodes#INTERNAL_ERROR}.</li>
 * </ul>
 * Stack traces are printed only with {@code --verbose}.
 */
final class ErrorPolicy implements IExecutionExceptionHandler, IParameterExceptionHandler {

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        PrintWriter err = cmd.getErr();
        String name = cmd.getCommandSpec().qualifiedName();
        err.println(name + ": " + ex.getMessage() + " (see '" + name + " --help')");
        if (isVerbose(cmd.getParseResult())) {
            ex.printStackTrace(err);
        }
        err.flush();
        return ExitCodes.USAGE;
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) {
        PrintWriter err = cmd.getErr();
        int code;
        if (ex instanceof UnusableInputException) {
            err.println(ex.getMessage());
            code = ExitCodes.UNUSABLE_INPUT;
        } else if (ex instanceof StoreException) {
            err.println("hotpath: " + ex.getMessage());
            code = ExitCodes.UNUSABLE_INPUT;
        } else if (ex instanceof CommandFailedException c) {
            err.println(c.getMessage());
            code = c.exitCode();
        } else {
            err.println("hotpath: internal error: " + ex
                    + (isVerbose(parseResult) ? "" : " (run with --verbose for the stack trace)"));
            code = ExitCodes.INTERNAL_ERROR;
        }
        if (isVerbose(parseResult)) {
            ex.printStackTrace(err);
        }
        err.flush();
        return code;
    }

    /** {@code --verbose} is inherited by every subcommand; it counts wherever on the command line it was given. */
    static boolean isVerbose(ParseResult pr) {
        for (ParseResult r = pr; r != null; r = r.subcommand()) {
            if (r.hasMatchedOption("--verbose")) {
                return true;
            }
        }
        return false;
    }
}
