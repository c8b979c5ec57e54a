package com.employable.flotilla.billing.pricing;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** The versioned price books from {@code pricebook/price-books.json}, ordered by effective date. */
public final class PriceBooks {

    private final List<PriceBook> versions;

    public PriceBooks(List<PriceBook> versions) {
        if (versions.isEmpty()) {
            throw new IllegalArgumentException("at least one price book is required");
        }
        this.versions = versions.stream()
                .sorted(Comparator.comparing(PriceBook::effectiveFrom))
                .toList();
    }

    public static PriceBooks load() {
        try (InputStream in = PriceBooks.class.getResourceAsStream("/pricebook/price-books.json")) {
            if (in == null) {
                throw new IllegalStateException("pricebook/price-books.json missing from the build");
            }
            record File(List<PriceBook> versions) {}
            JsonMapper mapper = JsonMapper.builder()
                    .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .build();
            return new PriceBooks(
                    mapper.readValue(in.readAllBytes(), File.class).versions());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the price books", e);
        }
    }

    /** The version in force at {@code at}: the latest whose effective date is not after it. */
    public PriceBook at(Instant at) {
        PriceBook chosen = versions.get(0);
        for (PriceBook version : versions) {
            if (!version.effectiveFrom().isAfter(at)) {
                chosen = version;
            }
        }
        return chosen;
    }

    public Optional<PriceBook> byId(String id) {
        return versions.stream().filter(version -> version.id().equals(id)).findFirst();
    }

    public PriceBook current() {
        return at(Instant.now());
    }

    public List<PriceBook> versions() {
        return versions;
    }
}
