export { ensureAdmin } from './user-bootstrap';
export { UserDirectory } from './user-directory';
export { findUserById, findUserWithHashByEmail, type User } from './user-repository';
export { userRoutes } from './user-routes';
export { createUser, updateOwnProfile } from './user-service';
