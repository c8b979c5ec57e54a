package com.employable.flotilla.localfly.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.employable.flotilla.localfly.apps.Apps;
import com.employable.flotilla.localfly.error.FlyError;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretsTest {

    private final Apps apps = new Apps(Clock.systemUTC(), "personal");
    private final Secrets secrets = new Secrets(apps, Clock.systemUTC());

    @Test
    void everyWriteIsOneVersionAndNullUnsets() {
        apps.create("app", null, null);
        secrets.set("app", Map.of("A", "one", "B", "two"));
        Map<String, String> second = new HashMap<>();
        second.put("A", "uno");
        second.put("B", null);

        SecretSet written = secrets.set("app", second);
        secrets.delete("app", "A");

        assertThat(written.version()).isEqualTo(2);
        assertThat(written.secrets())
                .extracting(Secret::name, Secret::value)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("A", "uno"));
        assertThat(secrets.of("app").version()).isEqualTo(3);
        assertThat(secrets.values("app")).isEmpty();
    }

    @Test
    void aBatchWithAnInvalidNameChangesNothing() {
        apps.create("app", null, null);
        secrets.set("app", Map.of("A", "one"));
        Map<String, String> batch = new java.util.LinkedHashMap<>();
        batch.put("A", "changed");
        batch.put("not valid", "x");

        assertThatThrownBy(() -> secrets.set("app", batch))
                .isInstanceOfSatisfying(
                        FlyError.class, e -> assertThat(e.httpStatus()).isEqualTo(400));
        assertThat(secrets.values("app")).isEqualTo(Map.of("A", "one"));
        assertThat(secrets.of("app").version()).isEqualTo(1);
    }

    @Test
    void anAppCreatedAgainUnderItsNameStartsWithoutTheOldSecrets() {
        String oldId = apps.create("app", null, null).id();
        secrets.set("app", Map.of("A", "one"));
        apps.remove("app");
        secrets.drop(oldId);

        apps.create("app", null, null);

        assertThat(secrets.of("app").secrets()).isEmpty();
        assertThat(secrets.of("app").version()).isZero();
    }

    @Test
    void aSecretsToStringShowsNoValue() {
        apps.create("app", null, null);
        Secret secret =
                secrets.set("app", Map.of("TOKEN", "s3cret-value")).secrets().get(0);

        assertThat(secret.toString()).doesNotContain("s3cret-value").contains("TOKEN");
    }
}
