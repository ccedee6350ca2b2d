package dev.hotpath.cli;

import dev.hotpath.analyzer.model.UnusableInputException;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the agent jar ({@code agent/target/hotpath-agent.jar}, built by the agent module's {@code package} phase).
 * In order: the system property {@code hotpath.agent.jar}; {@code $hotpath.home/agent/target/hotpath-agent.jar}
 * ({@code hotpath.home} is the repository root, set by the {@code ./hotpath} launcher); beside the CLI jar's module
 * ({@code cli/target/hotpath.jar} -> {@code agent/target/hotpath-agent.jar}); {@code agent/target/} under the
 * working directory. The first that exists wins.
 */
final class AgentJar {
    static final String RELATIVE = "agent/target/hotpath-agent.jar";

    private AgentJar() {
    }

    static Path locate() throws UnusableInputException {
        List<Path> candidates = candidates();
        for (Path p : candidates) {
            if (Files.isRegularFile(p)) {
                return p.toAbsolutePath().normalize();
            }
        }
        Path first = candidates.isEmpty() ? Paths.get(RELATIVE) : candidates.get(0);
        throw new UnusableInputException(first, "agent jar not found (also looked at " + candidates
                + "); build it with: mvn -B -pl agent -am package -DskipTests");
    }

    private static List<Path> candidates() {
        List<Path> out = new ArrayList<>();
        String explicit = System.getProperty("hotpath.agent.jar");
        if (explicit != null && !explicit.isBlank()) {
            out.add(Paths.get(explicit));
        }
        String home = System.getProperty("hotpath.home");
        if (home != null && !home.isBlank()) {
            out.add(Paths.get(home).resolve(RELATIVE));
        }
        try {
            CodeSource cs = AgentJar.class.getProtectionDomain().getCodeSource();
            if (cs != null) {
                Path self = Paths.get(cs.getLocation().toURI());
                // cli/target/hotpath.jar or cli/target/classes -> repository root is three levels up
                Path root = self.getParent() == null ? null : self.getParent().getParent();
                if (root != null && root.getParent() != null) {
                    out.add(root.getParent().resolve(RELATIVE));
                }
            }
        } catch (URISyntaxException | RuntimeException ignored) {
            // no usable code source: fall through to the working directory
        }
        out.add(Paths.get(RELATIVE));
        return out;
    }
}
