package com.employable.flotilla.localfly.http;

/** What a route does. A {@code FlyError} it throws becomes Fly's error answer. */
@FunctionalInterface
public interface Handler {

    Answer handle(Request request);
}
