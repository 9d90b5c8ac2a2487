// Time behind one seam: every expiry, lockout and back-off reads it here, so tests freeze or
// advance the clock instead of sleeping.
import { Injectable } from '@nestjs/common';

export abstract class Clock {
  abstract now(): Date;
}

@Injectable()
export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}
