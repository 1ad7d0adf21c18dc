// The demo's front door on one port: /au/… goes to the AU guard (au-cdr, with the Register status
// check), everything else to the UK guard; the debugger page is served as static assets.
export default {
  fetch(request, env) {
    const { pathname } = new URL(request.url);
    return (pathname.startsWith('/au/') ? env.AU : env.UK).fetch(request);
  },
};
