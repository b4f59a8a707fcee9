export * from "./controllerAuth";
export * from "./eodhpProject";
export * from "./kargoHub";
export * from "./kargoShard";
