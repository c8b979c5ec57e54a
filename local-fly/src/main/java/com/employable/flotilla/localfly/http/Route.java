package com.employable.flotilla.localfly.http;

/** One row of a {@link RouteTable}. */
public record Route(String method, PathPattern path, Handler handler) {}
