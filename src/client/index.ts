export { MeshworkClient, UnlockedAccount, type Registration, type SessionInfo } from './account';
export { ApiClient, MeshworkApiError } from './http';
export { WeakKdfParametersError, WrongKeyError } from './crypto/account-keys';
export { InvalidRecoveryWordsError } from './recovery-words';
