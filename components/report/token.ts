/** Where the creator's browser keeps a report's deletion token (never sent anywhere but DELETE). */
export const tokenKey = (id: string) => `cba-doctor:delete-token:${id}`;
