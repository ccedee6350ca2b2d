package dev.hotpath.cli;

import dev.hotpath.analyzer.model.UnusableInputException;
import dev.hotpath.analyzer.store.StoreException;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The one error policy, seen from a subcommand that fails in each way a command can fail. */
class ErrorPolicyTest {
    @Command(name = "explode")
    static final class Explode extends BaseCommand {
        @Parameters(index = "0")
        String how;

        @Override
        public Integer call() throws Exception {
            switch (how) {
                case "input" -> throw new UnusableInputException(Path.of("/tmp/x.jfr"), 12, "bad chunk size -1");
                case "store" -> throw new StoreException("workspace /ws: database is locked");
                case "failed" -> throw new CommandFailedException("hotpath: cannot write out.html: disk full", 3);
                case "bug" -> throw new IllegalStateException("unexpected state");
                default -> {
                    out().println("fine");
                    return ExitCodes.OK;
                }
            }
        }
    }

    record Result(int exit, String out, String err) {
    }

    static Result run(String... args) {
        CommandLine cl = HotpathCommand.newCommandLine();
        cl.addSubcommand("explode", new Explode());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return new Result(cl.execute(args), out.toString(), err.toString());
    }

    @Test
    void unusableInputIsItsMessageAndExit3() {
        Result r = run("explode", "input");
        assertThat(r.exit()).isEqualTo(ExitCodes.UNUSABLE_INPUT);
        assertThat(r.err()).isEqualTo("/tmp/x.jfr: bad chunk size -1 (at byte 12)\n");
    }

    @Test
    void storeFailureIsOneLineAndExit3() {
        Result r = run("explode", "store");
        assertThat(r.exit()).isEqualTo(3);
        assertThat(r.err()).isEqualTo("hotpath: workspace /ws: database is locked\n");
    }

    @Test
    void commandFailureKeepsItsCode() {
        Result r = run("explode", "failed");
        assertThat(r.exit()).isEqualTo(3);
        assertThat(r.err()).isEqualTo("hotpath: cannot write out.html: disk full\n");
    }

    @Test
    void anUnexpectedExceptionIsOneLineUnlessVerbose() {
        Result quiet = run("explode", "bug");
        assertThat(quiet.exit()).isEqualTo(ExitCodes.INTERNAL_ERROR);
        assertThat(quiet.err()).isEqualTo("hotpath: internal error: java.lang.IllegalStateException: unexpected state"
                + " (run with --verbose for the stack trace)\n");
        for (String[] args : new String[][]{{"--verbose", "explode", "bug"}, {"explode", "--verbose", "bug"}}) {
            Result loud = run(args);
            assertThat(loud.exit()).isEqualTo(3);
            assertThat(loud.err()).startsWith("hotpath: internal error: java.lang.IllegalStateException: unexpected state\n"
                    + "java.lang.IllegalStateException: unexpected state\n\tat dev.hotpath.cli.ErrorPolicyTest$Explode.call(");
        }
    }

    @Test
    void usageErrorsAreExit2AndBareHotpathPrintsUsage() {
        Result unknown = run("frobnicate");
        assertThat(unknown.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(unknown.err()).isEqualTo("hotpath: Unmatched argument at index 0: 'frobnicate'"
                + " (see 'hotpath --help')\n");
        Result bare = run();
        assertThat(bare.exit()).isEqualTo(0);
        assertThat(bare.out()).startsWith("Usage: hotpath [-hV] [--verbose] [COMMAND]").contains("  analyze ");
        assertThat(run("explode", "ok").out()).isEqualTo("fine\n");
    }
}
