export * from './generate';
export * from './layout';
export * from './reissue';
