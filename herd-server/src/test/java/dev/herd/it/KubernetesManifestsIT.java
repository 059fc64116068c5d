package dev.herd.it;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * deploy/kubernetes against the Kubernetes API schemas (the npm package kubernetes-models, and
 * its types checked by tsc so that an unknown field anywhere is an error): the manifests pass,
 * and a manifest with a typo'd field or a wrong type does not. The rules the manifests' comments
 * state are checked too.
 */
class KubernetesManifestsIT {

    private static final Path DEPLOY = HerdProcess.HOME.resolve("deploy/kubernetes");
    private static final Path VALIDATE = DEPLOY.resolve("validate");
    private static final List<String> MANIFESTS =
            List.of("deployment.yaml", "service.yaml", "poddisruptionbudget.yaml", "hpa.yaml");

    @BeforeAll
    static void installValidator() throws Exception {
        assumeTrue(new File("/usr/bin/node").canExecute() && new File("/usr/bin/npm").canExecute(),
                "Node.js and npm are not installed");
        if (!Files.isDirectory(VALIDATE.resolve("node_modules/kubernetes-models"))) {
            Commands.Result install = Commands.runIn(VALIDATE, Map.of(), 600, "npm", "ci", "--no-audit", "--no-fund");
            assertThat(install.status()).as("npm ci in deploy/kubernetes/validate:\n%s", install.output()).isZero();
        }
    }

    @Test
    void everyManifestIsValidWithNoUnknownField() throws Exception {
        List<String> command = new ArrayList<>(List.of("node", "validate.mjs"));
        MANIFESTS.forEach(m -> command.add(DEPLOY.resolve(m).toString()));
        Commands.Result result = Commands.runIn(VALIDATE, Map.of(), 120, command.toArray(String[]::new));
        assertThat(result.status()).as(result.output()).isZero();
        assertThat(result.output()).contains("4 objects valid").contains("Deployment herd", "Service herd",
                "PodDisruptionBudget herd", "HorizontalPodAutoscaler herd");
    }

    @Test
    void aTypoOrAWrongTypeIsRejected(@TempDir Path dir) throws Exception {
        String deployment = Files.readString(DEPLOY.resolve("deployment.yaml"));
        Path typo = dir.resolve("typo.yaml");
        Files.writeString(typo, deployment.replace("      maxSurge: 1", "      maxSurge: 1\n      maxSurje: 1"));
        Commands.Result typoResult = Commands.runIn(VALIDATE, Map.of(), 120, "node", "validate.mjs", typo.toString());
        assertThat(typoResult.status()).isEqualTo(1);
        assertThat(typoResult.output()).contains("'\"maxSurje\"' does not exist in type 'IRollingUpdateDeployment'");

        Path wrongType = dir.resolve("wrong-type.yaml");
        Files.writeString(wrongType, deployment.replace("terminationGracePeriodSeconds: 45",
                "terminationGracePeriodSeconds: soon"));
        Commands.Result typeResult = Commands.runIn(VALIDATE, Map.of(), 120, "node", "validate.mjs", wrongType.toString());
        assertThat(typeResult.status()).isEqualTo(1);
        assertThat(typeResult.output()).contains("terminationGracePeriodSeconds must be integer");
    }

    /** terminationGracePeriodSeconds >= preStop sleep + --graceful-timeout + margin, as the comment says. */
    @Test
    void theGracePeriodCoversThePreStopSleepAndTheDrain() throws Exception {
        String deployment = Files.readString(DEPLOY.resolve("deployment.yaml"));
        int grace = number(deployment, "terminationGracePeriodSeconds: ");
        int preStop = number(deployment.substring(deployment.indexOf("preStop:")), "seconds: ");
        int drain = number(deployment, "--graceful-timeout=");
        assertThat(grace).isGreaterThanOrEqualTo(preStop + drain + 5);
        assertThat(deployment).contains("--admin-open-health", "readOnlyRootFilesystem: true", "mountPath: /run/herd");
    }

    private static int number(String text, String after) {
        int start = text.indexOf(after) + after.length();
        int end = start;
        while (end < text.length() && Character.isDigit(text.charAt(end))) {
            end++;
        }
        return Integer.parseInt(text.substring(start, end));
    }
}
