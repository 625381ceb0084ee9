import { Schema, model } from 'mongoose';

// _id is a keyed hash of the handle or address (see ServerKeys.throttleKeyFor), never the value itself.
const loginThrottleSchema = new Schema(
  {
    _id: { type: String, required: true },
    failures: { type: Number, required: true, default: 0 },
    lastFailureAt: { type: Date, required: true },
    lockedUntil: { type: Date },
  },
  { versionKey: false },
);

export const LoginThrottleModel = model('LoginThrottle', loginThrottleSchema);
