package com.employable.flotilla.provisioner.reconcile;

import static com.employable.flotilla.provisioner.reconcile.ReconcileHarness.APP;
import static com.employable.flotilla.provisioner.reconcile.ReconcileHarness.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.employable.flotilla.provisioner.fly.FlyJson;
import com.employable.flotilla.provisioner.fly.FlyModel.Autostop;
import com.employable.flotilla.provisioner.fly.FlyModel.Service;
import com.employable.flotilla.provisioner.team.Announcement;
import com.employable.flotilla.provisioner.team.ProvisionerProperties;
import com.employable.flotilla.provisioner.team.ProvisionerPropertiesTest;
import com.employable.flotilla.provisioner.team.TeamSpec;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * The idle policy per plan, table-driven like {@link TeamReconcileTest}: the service of the machine a new team gets
 * tells Fly's proxy how it sleeps (starter suspends, team stops, business keeps one running, all wake on a request),
 * under the Machines API's names, and a plan's policy is configured in the provisioner's properties.
 */
class IdlePolicyTest {

    record Case(String plan, Autostop autostop, int minMachinesRunning, String wire) {
        @Override
        public String toString() {
            return plan + " idles to " + autostop.wire() + ", " + minMachinesRunning + " kept running";
        }
    }

    static Stream<Case> plans() {
        return Stream.of(
                new Case("starter", Autostop.SUSPEND, 0, "\"autostop\":\"suspend\""),
                new Case("team", Autostop.STOP, 0, "\"autostop\":\"stop\""),
                new Case("business", Autostop.STOP, 1, "\"autostop\":\"stop\""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("plans")
    void aNewTeamsMachineCarriesItsPlansIdlePolicy(Case example) {
        Service service = firstMachineService(new ReconcileHarness(), example.plan());

        assertThat(service.autostop()).isEqualTo(example.autostop());
        assertThat(service.autostart()).isTrue();
        assertThat(service.minMachinesRunning()).isEqualTo(example.minMachinesRunning());
        assertThat(new String(FlyJson.write(service)))
                .contains(example.wire())
                .contains("\"autostart\":true")
                .contains("\"min_machines_running\":" + example.minMachinesRunning());
    }

    @Test
    void aPlansPolicyIsConfiguredInTheProperties() {
        var settings = plan("team", "suspend", "true", "0");
        settings.putAll(plan("business", "suspend", "true", "2"));

        var harness = new ReconcileHarness(bind(settings));

        assertThat(firstMachineService(harness, "team").autostop()).isEqualTo(Autostop.SUSPEND);
        Service business = firstMachineService(new ReconcileHarness(bind(settings)), "business");
        assertThat(business.autostop()).isEqualTo(Autostop.SUSPEND);
        assertThat(business.minMachinesRunning()).isEqualTo(2);
    }

    @Test
    void aPlanThatSleepsButNeverWakesIsRefused() {
        assertThatThrownBy(() -> bind(plan("team", "stop", "false", "0")))
                .isInstanceOf(BindException.class)
                .rootCause()
                .hasMessageContaining("autostart");
    }

    private static Service firstMachineService(ReconcileHarness harness, String plan) {
        TeamSpec team = spec(plan, false, false, Announcement.PROVISIONED);
        harness.team(team, harness.written()).convergedFly(team).fly.machines.clear();

        harness.reconcile();

        return harness.fly.machinesOf(APP).get(0).config().services().get(0);
    }

    private static Map<String, String> plan(String name, String autostop, String autostart, String minRunning) {
        String prefix = "flotilla.provisioner.plans." + name + ".";
        var settings = new HashMap<String, String>();
        settings.put(prefix + "cpu-kind", "shared");
        settings.put(prefix + "cpus", "1");
        settings.put(prefix + "memory-mb", "512");
        settings.put(prefix + "machines", "2");
        settings.put(prefix + "autostop", autostop);
        settings.put(prefix + "autostart", autostart);
        settings.put(prefix + "min-machines-running", minRunning);
        return settings;
    }

    private static ProvisionerProperties bind(Map<String, String> settings) {
        var all = new HashMap<>(settings);
        all.put("flotilla.provisioner.image", "image");
        all.put("flotilla.provisioner.gateway-key", ProvisionerPropertiesTest.GATEWAY);
        all.put("flotilla.provisioner.probe-key", ProvisionerPropertiesTest.PROBE);
        all.put("flotilla.provisioner.team-db-key", ProvisionerPropertiesTest.TEAM_DB);
        return new Binder(new MapConfigurationPropertySource(all))
                .bind("flotilla.provisioner", ProvisionerProperties.class)
                .get();
    }
}
