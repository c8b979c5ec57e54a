/**
 * The discovery table: one row per team, built from the provisioner's server lifecycle events and the
 * health-service's verdicts, whatever order, duplication or replay they arrive in, and published to the compacted
 * registry topic on every change. The status rules live in {@link com.employable.flotilla.registry.discovery.StatusRules}.
 */
package com.employable.flotilla.registry.discovery;
