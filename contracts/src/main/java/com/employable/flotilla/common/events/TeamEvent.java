package com.employable.flotilla.common.events;

/** Every event is about exactly one team, whose id is also the record key and the CloudEvents subject. */
public interface TeamEvent {

    String teamId();
}
