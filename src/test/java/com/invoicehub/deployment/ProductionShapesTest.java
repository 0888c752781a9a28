package com.invoicehub.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * What ships for production names every setting the hub needs and keeps its promises to the orchestrator: the
 * settings without a default in application.yaml (the ones the local stack otherwise fills in) appear in
 * docker-compose.yml and in the Kubernetes base, every credential comes from a secret, the probes are the hub's
 * readiness and liveness, and each shape waits longer for a stopping node than the hub takes to drain. Schema
 * validation of the manifests and HAProxy's check run in scripts/check-deployment. Spring-free.
 */
class ProductionShapesTest {

    /** Blank-default settings production does not set, and why. */
    private static final Map<String, String> NOT_FOR_PRODUCTION = Map.of(
            "HUB_MAIL_LOCAL_PASSWORD", "the local stack's own mail server only",
            "HUB_SFTP_HUB_PASSWORD", "an outside SFTP server only: the hub's own server makes up its login",
            "HUB_SFTP_KNOWN_HOSTS", "an outside SFTP server only: the hub's own server writes its known_hosts");

    /** Settings with a default that is right locally and wrong for several nodes. */
    private static final Set<String> PRODUCTION_OVERRIDES = Set.of("SPRING_DATASOURCE_USERNAME",
            "SPRING_DATASOURCE_PASSWORD", "HUB_DATA_DIR", "HUB_SFTP_EMBEDDED", "HUB_SFTP_BIND_ADDRESS",
            "HUB_SFTP_HOMES_DIR", "HUB_SFTP_HOST_KEY", "SERVER_FORWARD_HEADERS_STRATEGY");

    private static final Pattern CREDENTIAL =
            Pattern.compile(".*(PASSWORD|SECRET_KEY|ACCESS_KEY|ENCRYPTION_KEY(_NEXT|_PREVIOUS)?)$");

    private final String applicationYaml = read("src/main/resources/application.yaml");

    @Test
    void composeRunsTwoHubReplicasBehindAHealthCheckedProxyWithTheRealServices() {
        Map<String, Object> services = map(load("docker-compose.yml").get("services"));
        assertThat(services).containsKeys("proxy", "hub", "postgres", "minio", "elasticmq", "mailpit");
        Map<String, Object> hub = map(services.get("hub"));
        assertThat((Integer) map(hub.get("deploy")).get("replicas")).isGreaterThanOrEqualTo(2);
        assertThat(String.valueOf(map(hub.get("healthcheck")).get("test"))).contains("/actuator/health/readiness");
        assertThat(list(map(services.get("proxy")).get("depends_on"))).contains("hub");
        assertThat(String.valueOf(map(services.get("proxy")).get("volumes"))).contains("deploy/compose/haproxy.cfg");

        String haproxy = read("deploy/compose/haproxy.cfg");
        for (String backend : List.of("hubs-http", "hubs-sftp")) {
            String section = haproxy.substring(haproxy.indexOf("backend " + backend));
            section = section.substring(0, section.indexOf("\nfrontend"));
            assertThat(section).as(backend).contains("http-check send meth GET uri /actuator/health/readiness")
                    .contains("server-template hub");
        }
    }

    @Test
    void composeNamesEverySettingTheHubNeedsAndTakesCredentialsFromTheEnvironment() {
        Map<String, Object> hub = map(map(load("docker-compose.yml").get("services")).get("hub"));
        Map<String, Object> environment = map(hub.get("environment"));
        assertThat(environment.keySet()).containsAll(settingsProductionNeeds());
        environment.forEach((name, value) -> {
            if (CREDENTIAL.matcher(name).matches()) {
                assertThat(String.valueOf(value)).as(name).startsWith("${");
            }
        });
        assertThat(environment.get("HUB_SFTP_HOST_KEY")).isEqualTo("/run/secrets/sftp_host_key");
        assertThat(list(hub.get("volumes"))).anyMatch(v -> String.valueOf(v).startsWith("sftp-homes:"
                + environment.get("HUB_SFTP_HOMES_DIR")));
    }

    @Test
    void kubernetesNamesEverySettingAndTakesEveryCredentialFromTheSecret() {
        Map<String, Object> container = hubContainer();
        Set<String> named = new TreeSet<>();
        for (Object entry : list(container.get("env"))) {
            Map<String, Object> variable = map(entry);
            String name = (String) variable.get("name");
            named.add(name);
            if (CREDENTIAL.matcher(name).matches() || name.equals("SPRING_MAIL_USERNAME")) {
                assertThat(variable).as(name).doesNotContainKey("value");
                assertThat(map(map(variable.get("valueFrom")).get("secretKeyRef")).get("name")).as(name)
                        .isEqualTo("invoice-hub");
            }
        }
        Map<String, Object> kustomization = load("deploy/kubernetes/base/kustomization.yaml");
        for (Object generator : list(kustomization.get("configMapGenerator"))) {
            if ("invoice-hub-settings".equals(map(generator).get("name"))) {
                for (Object literal : list(map(generator).get("literals"))) {
                    String name = String.valueOf(literal).substring(0, String.valueOf(literal).indexOf('='));
                    assertThat(CREDENTIAL.matcher(name).matches()).as(name + " is a credential in a ConfigMap")
                            .isFalse();
                    named.add(name);
                }
            }
        }
        assertThat(named).containsAll(settingsProductionNeeds());
    }

    @Test
    void kubernetesProbesAreReadinessAndLivenessAndReadinessMeansDatabaseAndQueues() {
        Map<String, Object> container = hubContainer();
        assertThat(map(map(container.get("readinessProbe")).get("httpGet")).get("path"))
                .isEqualTo("/actuator/health/readiness");
        assertThat(map(map(container.get("livenessProbe")).get("httpGet")).get("path"))
                .isEqualTo("/actuator/health/liveness");
        Map<String, Object> groups = map(map(map(map(load("src/main/resources/application.yaml").get("management"))
                .get("endpoint")).get("health")).get("group"));
        assertThat(String.valueOf(map(groups.get("readiness")).get("include"))).contains("db").contains("queues");
        assertThat(String.valueOf(map(groups.get("liveness")).get("include"))).isEqualTo("livenessState");
        assertThat(map(map(container.get("resources")).get("requests"))).containsKeys("cpu", "memory");
    }

    @Test
    void everyShapeWaitsLongerForAStoppingNodeThanTheHubTakesToDrain() {
        // Spring drains the web server in its phase, then stops the Camel context (a later phase), which takes up to
        // its own timeout: the worst case is the sum.
        Duration drain = Duration.ofSeconds(seconds("timeout-per-shutdown-phase: (\\d+)s"))
                .plus(Duration.ofSeconds(seconds("shutdown-timeout: (\\d+)")));

        Map<String, Object> pod = podSpec();
        List<Object> preStop = list(map(map(map(hubContainer().get("lifecycle")).get("preStop")).get("exec"))
                .get("command"));
        Duration pause = Duration.ofSeconds(Long.parseLong(String.valueOf(preStop.get(1))));
        assertThat(Duration.ofSeconds(((Number) pod.get("terminationGracePeriodSeconds")).longValue()))
                .isGreaterThan(drain.plus(pause));

        String grace = String.valueOf(map(map(load("docker-compose.yml").get("services")).get("hub"))
                .get("stop_grace_period"));
        assertThat(Duration.ofSeconds(Long.parseLong(grace.replace("s", "")))).isGreaterThan(drain);
    }

    @Test
    void aPodDisruptionBudgetKeepsHubPodsRunningDuringADrain() {
        Map<String, Object> budget = load("deploy/kubernetes/base/pod-disruption-budget.yaml");
        Map<String, Object> deployment = load("deploy/kubernetes/base/deployment.yaml");
        assertThat(map(map(budget.get("spec")).get("selector")))
                .isEqualTo(map(map(deployment.get("spec")).get("selector")));
        assertThat(map(budget.get("spec")).get("maxUnavailable")).isEqualTo(1);
        assertThat((Integer) map(deployment.get("spec")).get("replicas")).isGreaterThanOrEqualTo(2);
    }

    /** Blank-default settings of application.yaml, less the local-only ones, plus the multi-node overrides. */
    private Set<String> settingsProductionNeeds() {
        Set<String> needed = new TreeSet<>(PRODUCTION_OVERRIDES);
        Matcher blank = Pattern.compile("\\$\\{([A-Z0-9_]+):}").matcher(applicationYaml);
        while (blank.find()) {
            needed.add(blank.group(1));
        }
        assertThat(needed).containsAll(NOT_FOR_PRODUCTION.keySet());
        needed.removeAll(NOT_FOR_PRODUCTION.keySet());
        assertThat(needed).contains("SPRING_DATASOURCE_URL", "HUB_ENCRYPTION_KEY", "HUB_SQS_ENDPOINT");
        return needed;
    }

    private long seconds(String regex) {
        Matcher matcher = Pattern.compile(regex).matcher(applicationYaml);
        assertThat(matcher.find()).as(regex).isTrue();
        return Long.parseLong(matcher.group(1));
    }

    private Map<String, Object> podSpec() {
        Map<String, Object> deployment = load("deploy/kubernetes/base/deployment.yaml");
        return map(map(map(deployment.get("spec")).get("template")).get("spec"));
    }

    private Map<String, Object> hubContainer() {
        return map(list(podSpec().get("containers")).get(0));
    }

    private static Map<String, Object> load(String file) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        Map<String, Object> document = new Yaml(options).load(read(file));
        return document == null ? new HashMap<>() : document;
    }

    private static String read(String file) {
        try {
            return Files.readString(Path.of(file));
        } catch (IOException e) {
            throw new IllegalStateException(file, e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        assertThat(value).isInstanceOf(Map.class);
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object value) {
        assertThat(value).isInstanceOf(List.class);
        return new ArrayList<>((List<Object>) value);
    }
}
