package com.employable.flotilla.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The module rules of the design (README "Modules"), held by the build instead of by care. Each rule reads the
 * compiled classes of the modules it is about, main code only.
 */
class ModuleRulesTest {

    private static final String ROOT = "com.employable.flotilla";

    /** Each service's own packages. */
    private static final Map<String, String> SERVICES = Map.of(
            "provisioner-service", ROOT + ".provisioner..",
            "registry-service", ROOT + ".registry..",
            "health-service", ROOT + ".health..",
            "billing-service", ROOT + ".billing..");

    /** common's conventions: everything of common's main code, none of which devstack and e2e may use. */
    private static final String[] CONVENTIONS = {
        ROOT + ".common.cloudevents..",
        ROOT + ".common.kafka..",
        ROOT + ".common.outbox..",
        ROOT + ".common.idempotency..",
        ROOT + ".common.auth..",
        ROOT + ".common.teams..",
        ROOT + ".common.operator..",
        ROOT + ".common.tracing.."
    };

    @Test
    void servicesNeverImportEachOther() {
        for (var service : SERVICES.entrySet()) {
            String[] others = SERVICES.entrySet().stream()
                    .filter(other -> !other.equals(service))
                    .map(Map.Entry::getValue)
                    .toArray(String[]::new);
            noClasses()
                    .that()
                    .resideInAPackage(service.getValue())
                    .should()
                    .dependOnClassesThat()
                    .resideInAnyPackage(concat(
                            others, ROOT + ".localfly..", ROOT + ".teammcp..", ROOT + ".devstack..", ROOT + ".e2e.."))
                    .because("services meet only on Kafka topics and through the contracts")
                    .check(main(service.getKey()));
        }
    }

    @Test
    void localFlyAndTheProvisionersFlyClientShareNothing() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(ROOT + ".provisioner..", ROOT + ".common..")
                .because("local-fly is written from Fly's documentation, not from our client")
                .check(main("local-fly"));
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAPackage(ROOT + ".localfly..")
                .because("the provisioner's Fly client is written from Fly's documentation, not from local-fly")
                .check(main("provisioner-service"));
    }

    @Test
    void theTeamServerShipsAlone() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        ROOT + ".common..",
                        ROOT + ".provisioner..",
                        ROOT + ".registry..",
                        ROOT + ".health..",
                        ROOT + ".billing..",
                        ROOT + ".localfly..")
                .because("the team server is its own image and depends on none of our other modules")
                .check(main("team-mcp-server"));
        noClasses()
                .that()
                .resideInAPackage(ROOT + ".health..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage(ROOT + ".teammcp..")
                .because("the health probe and the team server each follow the MCP specification on their own")
                .check(main("health-service"));
    }

    @Test
    void contractsDependOnJacksonAnnotationsAlone() {
        classes()
                .should()
                .onlyDependOnClassesThat()
                .resideInAnyPackage("java..", "com.fasterxml.jackson.annotation..", ROOT + ".common.events..")
                .because("employable and finance read the contracts without our frameworks")
                .check(main("contracts"));
    }

    @Test
    void commonImportsNoService() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(concat(
                        SERVICES.values().toArray(String[]::new),
                        ROOT + ".localfly..",
                        ROOT + ".teammcp..",
                        ROOT + ".devstack.."))
                .check(main("common"));
    }

    @Test
    void devstackAndEndToEndTestsDriveThePlatformFromOutside() {
        String[] outside = concat(CONVENTIONS, SERVICES.values().toArray(String[]::new));
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(concat(outside, ROOT + ".localfly..", ROOT + ".teammcp.."))
                .because("devstack runs the platform as processes and speaks to it through the contracts")
                .check(main("devstack"));
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(concat(outside, ROOT + ".localfly..", ROOT + ".teammcp..", ROOT + ".devstack.."))
                .because("e2e tests drive the packaged platform as a user would")
                .check(tests("e2e"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "provisioner-service",
                "registry-service",
                "health-service",
                "billing-service",
                "local-fly",
                "team-mcp-server",
                "common",
                "contracts",
                "devstack"
            })
    void noPackageCycles(String module) {
        slices().matching(ROOT + ".(*).(*)..")
                .should()
                .beFreeOfCycles()
                .allowEmptyShould(true)
                .check(main(module));
        slices().matching(ROOT + ".(*).(*).(*)..")
                .should()
                .beFreeOfCycles()
                .allowEmptyShould(true)
                .check(main(module));
    }

    private static JavaClasses main(String module) {
        return classesIn(Path.of("..", module, "target", "classes"));
    }

    private static JavaClasses tests(String module) {
        return classesIn(Path.of("..", module, "target", "test-classes"));
    }

    private static JavaClasses classesIn(Path directory) {
        if (!Files.isDirectory(directory)) {
            throw new IllegalStateException(directory + " is missing: build the module before the architecture tests");
        }
        return new ClassFileImporter().importPath(directory);
    }

    private static String[] concat(String[] first, String... more) {
        List<String> all = new java.util.ArrayList<>(Arrays.asList(first));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }
}
