export { privacyRoutes } from './privacy-routes';
export { ERASED, erasePerson, exportPersonalData, namesOf } from './privacy-service';
export { erasedAmong } from './tombstones';
