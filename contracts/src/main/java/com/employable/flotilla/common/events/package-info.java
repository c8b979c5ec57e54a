/**
 * The wire contracts of Flotilla: one immutable record per CloudEvents {@code ce_type}, grouped per topic under one
 * sealed interface, and one {@link com.employable.flotilla.common.events.Topic} declaration per topic.
 *
 * <p>Evolution rules (every record here is a published contract that employable, finance and every service read):
 * <ul>
 * <li>Components are added, never renamed or removed; a new component is optional (boxed, nullable) unless the
 * {@code ce_type} version is bumped.</li>
 * <li>Required components carry {@code @JsonProperty(required = true)} and are checked in the compact constructor, so
 * an event is valid whether it was built in code or read from JSON.</li>
 * <li>Unknown fields are tolerated ({@code ignoreUnknown}); absent optional fields are omitted when written.</li>
 * <li>The JSON Schemas under {@code schemas/} are derived from these records and checked by a test.</li>
 * </ul>
 * This package depends on Jackson annotations only.
 */
package com.employable.flotilla.common.events;
