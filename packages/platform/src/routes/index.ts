export {
  defineRoute,
  type IdempotencyKeyUse,
  type ResponseDeclaration,
  type ResponseHeader,
  type RouteAuth,
  type RouteDeclaration,
  type RouteDefinition,
  type DefinedRoute,
  type SentReply,
  type RouteInput,
  type RouteMethod,
  type RoutePreconditions,
  type RouteReply,
  type RouteRequest,
  type RouteResponses,
  type UntypedSchema,
} from './define-route.js';
export { createRouteGroup, type RouteGroup, type RouteGroupOptions, type RouteTag } from './route-group.js';
