/** What a parameter type's quick check (`ParamType.accept`) gives for a value it leaves to the schema. */
export const UNDECIDED: unique symbol = Symbol("undecided");

/** A quick check: the schema's result for a plain common value, or UNDECIDED. */
export type Accept<T> = (value: unknown) => T | typeof UNDECIDED;
