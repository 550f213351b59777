// The operations channel's topics and events: docs/ops_event_catalog.json, the same file the
// server's constants are generated from, imported as is.
import catalog from "../../../docs/ops_event_catalog.json";

export interface CatalogEvent {
  name: string;
  topic: string;
  origin: string;
  when: string;
}

export const kOpsTopics: readonly string[] = catalog.topics;
export const kOpsEvents: readonly CatalogEvent[] = catalog.events;
export const kOpsEventNames: readonly string[] = catalog.events.map((event) => event.name);

/// The topic of a catalog event, or undefined for a name the catalog does not have.
export function topicOf(name: string): string | undefined {
  return kOpsEvents.find((event) => event.name === name)?.topic;
}
