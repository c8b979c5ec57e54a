/**
 * The HTTP API: a team's server (endpoint, status, machines and a ready-to-paste MCP client configuration) for its
 * own members and operators, the operators' paged list, and the OpenAPI document. Errors are RFC 9457 problems.
 */
package com.employable.flotilla.registry.api;
