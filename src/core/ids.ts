import { randomBytes, randomUUID } from 'node:crypto';

/** 24 lowercase hex characters: the id shape of every object the vendor API creates. */
export const OBJECT_ID_PATTERN = /^[0-9a-f]{24}$/;

export const isObjectId = (value: string): boolean => OBJECT_ID_PATTERN.test(value);

/** Makes ids; injectable so tests can make them predictable. */
export interface IdGenerator {
  /** A new 24-hex id. */
  objectId(): string;
  /** A new RFC 4122 v4 UUID. */
  uuid(): string;
}

/**
 * Mongo-style ids: 4 bytes of seconds then 8 random bytes, so ids sort roughly by creation
 * like the ones clients already see from the hosted original.
 */
export const randomIds: IdGenerator = {
  objectId() {
    const seconds = Math.floor(Date.now() / 1000)
      .toString(16)
      .padStart(8, '0');
    return seconds + randomBytes(8).toString('hex');
  },
  uuid: () => randomUUID(),
};
