package com.employable.flotilla.provisioner.fly;

import com.employable.flotilla.provisioner.fly.FlyModel.Secrets;
import com.employable.flotilla.provisioner.fly.FlyModel.SecretsUpdate;
import com.employable.flotilla.provisioner.fly.FlyModel.SecretsUpdateResult;
import java.util.Map;

/** {@code /v1/apps/{app}/secrets}. Values are written, never read back. */
public class FlySecrets {

    private final FlyTransport transport;

    public FlySecrets(FlyTransport transport) {
        this.transport = transport;
    }

    /** Setting the same values again is harmless, so this is retried like any idempotent call. */
    public long set(String app, Map<String, String> values) {
        SecretsUpdateResult result = transport.call(FlyCall.of(
                "secrets",
                "secrets.update",
                app,
                "POST",
                "/v1/apps/" + app + "/secrets",
                new SecretsUpdate(values),
                true,
                FlyCall.as(SecretsUpdateResult.class)));
        return result == null || result.version() == null ? 0 : result.version();
    }

    /** Names and digests only. */
    public Secrets list(String app) {
        return transport.call(FlyCall.of(
                "secrets",
                "secrets.list",
                app,
                "GET",
                "/v1/apps/" + app + "/secrets",
                null,
                true,
                FlyCall.as(Secrets.class)));
    }
}
