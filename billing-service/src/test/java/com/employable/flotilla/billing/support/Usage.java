package com.employable.flotilla.billing.support;

import com.employable.flotilla.billing.metering.Meter;
import com.employable.flotilla.common.cloudevents.CloudEventCodec;
import com.employable.flotilla.common.events.billing.UsageAdjusted;
import com.employable.flotilla.common.events.billing.UsageLine;
import com.employable.flotilla.common.events.billing.UsageRecorded;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * What finance received for one team on the usage topic: closed hours plus their adjustments.
 *
 * @param hours the hours recorded (each once, if {@code recorded} equals their number)
 * @param lines lines recorded and adjusted (each rounded to the micro-dollar once)
 */
public record Usage(
        BigDecimal total,
        long computeSeconds,
        long rootfsSeconds,
        int recorded,
        int adjusted,
        Set<Instant> hours,
        int lines) {

    public static Usage of(List<ConsumerRecord<String, byte[]>> records, String team) {
        BigDecimal total = BigDecimal.ZERO;
        long compute = 0;
        long rootfs = 0;
        int recorded = 0;
        int adjusted = 0;
        int lines = 0;
        Set<Instant> hours = new TreeSet<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            if (!team.equals(record.key())) {
                continue;
            }
            List<UsageLine> changed;
            switch (CloudEventCodec.decode(record).data()) {
                case UsageRecorded usage -> {
                    recorded++;
                    hours.add(usage.periodStart());
                    total = total.add(usage.total());
                    changed = usage.lines();
                }
                case UsageAdjusted adjustment -> {
                    adjusted++;
                    total = total.add(adjustment.total());
                    changed = adjustment.lines();
                }
                default -> changed = List.of();
            }
            for (UsageLine line : changed) {
                lines++;
                if (Meter.KIND_COMPUTE.equals(line.kind())) {
                    compute += line.quantity().longValueExact();
                } else {
                    rootfs += line.quantity().longValueExact();
                }
            }
        }
        return new Usage(total, compute, rootfs, recorded, adjusted, hours, lines);
    }
}
