package com.employable.flotilla.localfly.machines;

/**
 * What the proxy needs of a machine to route a request to it, read without copying the machine's config and events
 * (a {@link MachineView} per proxied request was most of the routing's cost).
 *
 * @param port loopback port of the machine's process (process runtime), 0 otherwise
 */
public record MachineAddress(String id, String appName, String state, int port) {}
