package com.employable.flotilla.devstack;

import java.util.List;
import java.util.Map;

/**
 * One process the stack runs: its command, environment and the URL that answers 2xx once it is ready.
 *
 * @param readyUrl an HTTP URL, or {@code tcp://host:port} for a component without HTTP
 */
record Component(String name, List<String> command, Map<String, String> env, String readyUrl) {}
