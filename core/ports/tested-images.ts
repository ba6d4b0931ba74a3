/** An image whose test gate passed: which manifest, when, and under which gate. */
export interface TestedImageRecord {
  /** The registry's content digest of the image that was tested with its source. */
  digest: string;
  /** When the test gate passed (ISO 8601). */
  testedAt: string;
  /** A digest of the gate's settings (test command, image, limits): another gate, another test. */
  gate: string;
}

/** Which images passed the test gate, keyed by their reference (repository:tag). */
export interface TestedImages {
  record(reference: string, record: TestedImageRecord): Promise<void>;
  find(reference: string): Promise<TestedImageRecord | undefined>;
  /** The record goes: the image it names was deleted or replaced. */
  forget(reference: string): Promise<void>;
}
