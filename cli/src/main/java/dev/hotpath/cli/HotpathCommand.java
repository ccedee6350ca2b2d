package dev.hotpath.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

import java.io.Console;
import java.lang.reflect.Method;

/**
 * The {@code hotpath} command. Subcommands are one class each; this class only wires them, the shared
 * {@code --verbose}, {@code --version} and the {@link ErrorPolicy}.
 */
@Command(name = "hotpath", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Performance diagnostics for JVM storage and ingestion services.",
        subcommands = {AnalyzeCommand.class, HeapCommand.class, IoCommand.class, RecordCommand.class, AllocatorsCommand.class,
                AgentPathCommand.class, AttachCommand.class, UiCommand.class, DemoCommand.class, HelpCommand.class})
public final class HotpathCommand implements Runnable {

    @Option(names = "--verbose", scope = ScopeType.INHERIT, description = "Print stack traces of errors.")
    boolean verbose;

    @picocli.CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        // `hotpath` alone: show what there is rather than fail
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** A command line with hotpath's error policy; tests use this with their own writers. */
    public static CommandLine newCommandLine() {
        ErrorPolicy policy = new ErrorPolicy();
        return new CommandLine(new HotpathCommand())
                .setExecutionExceptionHandler(policy)
                .setParameterExceptionHandler(policy);
    }

    /** Whether stdout is an interactive terminal (colour is used only then, and never with NO_COLOR set). */
    static boolean stdoutIsTerminal() {
        if (System.getenv("NO_COLOR") != null || "dumb".equals(System.getenv("TERM"))) {
            return false;
        }
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            // JDK 22+ returns a console even when redirected; isTerminal() tells the truth there
            Method isTerminal = Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }

    public static void main(String[] args) {
        System.exit(newCommandLine().execute(args));
    }
}
