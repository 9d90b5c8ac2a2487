// The appliance CA (keys from ENCLAVE_CA_DIR, records in SQLite). Enrollment, renewal and
// revocation routes will live here; for now it serves the agent listener and node auth.
import { Module } from '@nestjs/common';
import { applianceCaProvider } from './appliance-ca.provider.ts';

@Module({
  providers: [applianceCaProvider],
  exports: [applianceCaProvider],
})
export class CaModule {}
