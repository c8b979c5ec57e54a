package com.employable.flotilla.devstack.trial;

import java.nio.file.Path;
import java.util.function.Function;

/**
 * What the trial needs of a running stack.
 *
 * @param target {@code local-fly} or {@code fly}: labels every figure
 * @param agentToken an employable agent token for a team, as the gateway and the registry accept it
 * @param appPrefix how a team's own app is named ({@code flotilla-team-}), until the registry says otherwise
 * @param measurements where the report goes ({@code docs/measurements})
 */
public record TrialEnvironment(
        String target,
        String kafkaBootstrap,
        String registryUrl,
        String registryTeamPath,
        String gatewayPath,
        String provisionerUrl,
        String operatorToken,
        String flyApiUrl,
        String flyToken,
        Function<String, String> agentToken,
        String appPrefix,
        Path measurements) {

    @Override
    public String toString() {
        return "TrialEnvironment[" + target + ", " + flyApiUrl + "]";
    }
}
