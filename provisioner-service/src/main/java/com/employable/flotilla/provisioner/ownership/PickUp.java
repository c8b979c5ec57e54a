package com.employable.flotilla.provisioner.ownership;

import java.util.Collection;

/** What an instance does with teams it has just been given: reconcile them (implemented by the scheduler). */
public interface PickUp {

    void pickUp(Collection<Integer> partitions);
}
