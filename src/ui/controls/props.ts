/** The props of every control of one parameter. */

export interface ControlProps<Spec, Value> {
  /** The parameter's schema row. */
  spec: Spec;
  value: Value;
  /** Run A's value, when the control edits run B (shown where the two differ). */
  reference?: Value;
  /** Called with each new valid value. */
  onchange: (value: Value) => void;
}
