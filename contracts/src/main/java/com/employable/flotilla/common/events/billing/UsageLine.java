package com.employable.flotilla.common.events.billing;

import com.employable.flotilla.common.events.Require;
import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.math.BigDecimal;

/**
 * One metered line of an hour: a machine's usage of one kind, priced.
 *
 * @param machineId the machine
 * @param kind {@code compute} (started), {@code rootfs} (stopped or suspended), {@code volume} or {@code ip}
 * @param sku what was priced, e.g. {@code shared-cpu-1x-512mb} or {@code rootfs-gb}
 * @param region the machine's region
 * @param quantity how much, in {@code unit}, as a decimal string
 * @param unit e.g. {@code second} or {@code gb-second}
 * @param unitPrice USD per unit, as a decimal string
 * @param amount quantity times unit price in USD, as a decimal string
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record UsageLine(
        @JsonProperty(value = "machineId", required = true) String machineId,
        @JsonProperty(value = "kind", required = true) String kind,
        @JsonProperty(value = "sku", required = true) String sku,
        @JsonProperty(value = "region", required = true) String region,

        @JsonProperty(value = "quantity", required = true) @JsonFormat(shape = JsonFormat.Shape.STRING)
        BigDecimal quantity,

        @JsonProperty(value = "unit", required = true) String unit,

        @JsonProperty(value = "unitPrice", required = true) @JsonFormat(shape = JsonFormat.Shape.STRING)
        BigDecimal unitPrice,

        @JsonProperty(value = "amount", required = true) @JsonFormat(shape = JsonFormat.Shape.STRING)
        BigDecimal amount) {

    public UsageLine {
        Require.text(machineId, "lines[].machineId");
        Require.text(kind, "lines[].kind");
        Require.text(sku, "lines[].sku");
        Require.text(region, "lines[].region");
        Require.present(quantity, "lines[].quantity");
        Require.text(unit, "lines[].unit");
        Require.present(unitPrice, "lines[].unitPrice");
        Require.present(amount, "lines[].amount");
    }
}
