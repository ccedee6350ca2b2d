package dev.hotpath.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code hotpath agent-path}: prints the agent jar's absolute path, for {@code -javaagent:$(hotpath agent-path)}. */
@Command(name = "agent-path", mixinStandardHelpOptions = true,
        description = "Print the absolute path of the agent jar (for -javaagent:PATH=options).")
public final class AgentPathCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        spec.commandLine().getOut().println(AgentJar.locate());
        spec.commandLine().getOut().flush();
        return 0;
    }
}
