// The only entry point to @peculiar/x509: its dependency injection (tsyringe) needs the
// Reflect metadata API loaded first.
import 'reflect-metadata';

export * from '@peculiar/x509';
