export * from "./controllerAuth";
export * from "./eodhpProject";
export * from "./historyGuard";
export * from "./kargoHub";
export * from "./kargoShard";
