export * from './access';
export * from './catalog';
export * from './coupons';
export * from './influencers';
export * from './orders';
export * from './ops';
export * from './support';
