/** A store id: 1-32 letters, digits, - or _, starting with a letter or digit. */
export const STORE_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/;

/** A SKU code: 1-64 letters, digits, ., - or _, starting with a letter or digit. */
export const SKU_CODE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
