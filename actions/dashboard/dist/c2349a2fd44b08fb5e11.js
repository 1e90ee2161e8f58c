module.exports = eval("require")("../../node_modules/uplot/dist/uPlot.min.css");
