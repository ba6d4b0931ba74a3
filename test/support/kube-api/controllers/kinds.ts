import { resourceTypeFor } from '../resource-types.js';

export const NAMESPACES = resourceTypeFor('', 'namespaces');
export const NODES = resourceTypeFor('', 'nodes');
export const PODS = resourceTypeFor('', 'pods');
export const SERVICES = resourceTypeFor('', 'services');
export const ENDPOINTS = resourceTypeFor('', 'endpoints');
export const SERVICE_ACCOUNTS = resourceTypeFor('', 'serviceaccounts');
export const CONFIG_MAPS = resourceTypeFor('', 'configmaps');
export const EVENTS = resourceTypeFor('', 'events');
export const DEPLOYMENTS = resourceTypeFor('apps', 'deployments');
export const REPLICA_SETS = resourceTypeFor('apps', 'replicasets');
export const SECRETS = resourceTypeFor('', 'secrets');
