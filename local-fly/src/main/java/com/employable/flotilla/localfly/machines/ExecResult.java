package com.employable.flotilla.localfly.machines;

/** What {@code POST /machines/{id}/exec} answers: Fly answers 200 whatever the command did; the exit code tells. */
public record ExecResult(int exitCode, String stdout, String stderr) {}
