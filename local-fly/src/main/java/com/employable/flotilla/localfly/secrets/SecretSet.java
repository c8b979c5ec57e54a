package com.employable.flotilla.localfly.secrets;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** An app's secrets at one version, in the order they were first set. Immutable: readers need no lock. */
public record SecretSet(long version, List<Secret> secrets) {

    static final SecretSet EMPTY = new SecretSet(0, List.of());

    public SecretSet {
        secrets = List.copyOf(secrets);
    }

    Map<String, Secret> byName() {
        return secrets.stream()
                .collect(
                        Collectors.toMap(Secret::name, Function.identity(), (a, b) -> b, java.util.LinkedHashMap::new));
    }
}
