// Personal data of accounts created before personal-data columns were sealed. The migration
// that introduced sealing moved the plaintext here (a migration cannot seal: the master key
// only exists once the key ring is open); start-up seals each row into `user` and deletes it
// here (secure_delete overwrites it in the file). Empty on every appliance that has started
// once since; nothing else reads or writes it.
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

export const UnsealedUser = defineEntity({
  name: 'UnsealedUser',
  tableName: 'unsealed_user',
  properties: {
    userId: p.string().primary(),
    email: p.string().length(254),
    displayName: p.string().length(200),
  },
});

export type UnsealedUserRow = InferEntity<typeof UnsealedUser>;
