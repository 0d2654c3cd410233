export { ensureAdmin } from './user-bootstrap';
export { UserDirectory } from './user-directory';
export { findUserById, findUserCredential, findUserWithHashByEmail, type User } from './user-repository';
export { userRoutes } from './user-routes';
export { createUser, signOutEverywhere, updateOwnProfile } from './user-service';
